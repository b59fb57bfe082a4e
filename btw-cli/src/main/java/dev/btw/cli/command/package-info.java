/** One class per {@code btw} subcommand; each is a thin layer over the public Java API. */
package dev.btw.cli.command;
