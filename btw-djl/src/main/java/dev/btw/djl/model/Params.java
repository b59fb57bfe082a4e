package dev.btw.djl.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;

/** Shorthands for the parameters of the fusion blocks: shape fixed at construction, initialiser explicit. */
final class Params {

    private Params() {}

    static Parameter xavier(String name, Shape shape, long fanIn, long fanOut) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new XavierNormal(fanIn, fanOut))
                .build();
    }

    /** A {@code [out, in]} linear weight (the DJL and PyTorch layout: {@code y = x W^T + b}). */
    static Parameter linearWeight(String name, long out, long in) {
        return xavier(name, new Shape(out, in), in, out);
    }

    static Parameter zeros(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(shape)
                .optInitializer(Initializer.ZEROS)
                .build();
    }

    static Parameter ones(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.GAMMA)
                .optShape(shape)
                .optInitializer(Initializer.ONES)
                .build();
    }
}
