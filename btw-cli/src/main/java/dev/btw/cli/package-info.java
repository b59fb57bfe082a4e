/** The {@code btw} command: argument parsing, dispatch to subcommands, exit codes. */
package dev.btw.cli;
