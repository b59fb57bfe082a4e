/**
 * The {@code btw bench} subcommands, one class each. They reach the {@code btw} command as
 * {@link dev.btw.cli.Command} services ({@code META-INF/services}), so the product modules do not depend on them.
 */
package dev.btw.bench.command;
