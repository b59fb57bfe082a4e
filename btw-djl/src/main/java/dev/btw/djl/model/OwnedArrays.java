package dev.btw.djl.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates engine arrays from Java arrays in engine-owned memory. DJL's PyTorch engine wraps a Java direct buffer
 * without copying ({@code from_blob}); a tensor the engine keeps beyond the wrapper's life (a view, a value saved
 * for the backward pass) would then read memory the Java garbage collector may free. Copying once into the
 * engine's allocator removes that hazard for the small per-step arrays (inputs, masks, indices, noise).
 */
public final class OwnedArrays {

    private OwnedArrays() {}

    /**
     * A scalar for arithmetic with {@code like}, engine-owned and attached to {@code like}'s manager. Use it
     * instead of {@code x.mul(2f)}-style calls in anything that is differentiated: DJL 0.36 turns a Java number
     * into a wrapped direct buffer and closes it at once, while the autograd graph keeps the tensor for the
     * backward pass (multiplication, division, maximum), which then reads freed memory once the garbage
     * collector has run.
     *
     * @param like the array the scalar combines with
     * @param value the value
     * @return the scalar array
     */
    public static NDArray scalar(NDArray like, float value) {
        return of(like.getManager(), new float[] {value}, new Shape(), like.getDevice());
    }

    private static NDArray own(NDArray wrapped, NDManager manager, Device device) {
        // duplicate() is a real copy (clone); toDevice(same device, copy=true) may return an alias
        NDArray owned = wrapped.getDevice().equals(device) ? wrapped.duplicate() : wrapped.toDevice(device, true);
        owned.attach(manager);
        return owned;
    }

    /**
     * @param manager the manager to attach to
     * @param values the values
     * @param shape their shape
     * @param device the device
     * @return an engine-owned copy
     */
    public static NDArray of(NDManager manager, float[] values, Shape shape, Device device) {
        try (NDArray wrapped = manager.create(values, shape)) {
            return own(wrapped, manager, device);
        }
    }

    /**
     * @param manager the manager to attach to
     * @param values the values
     * @param device the device
     * @return an engine-owned copy, one dimension
     */
    public static NDArray of(NDManager manager, long[] values, Device device) {
        try (NDArray wrapped = manager.create(values)) {
            return own(wrapped, manager, device);
        }
    }
}
