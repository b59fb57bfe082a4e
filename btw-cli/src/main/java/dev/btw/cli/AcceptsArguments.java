package dev.btw.cli;

/** Marks a {@link Command} that takes positional arguments (for instance asset names) besides its options. */
public interface AcceptsArguments {}
