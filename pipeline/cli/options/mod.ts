/**
 * The command line's options: the table, the checks of their values, the environment variables
 * read, and the help made from them.
 *
 * The rest of the command line imports this folder through this file.
 *
 * @module
 */
export * from "./options.ts";
export * from "./checks.ts";
export * from "./environment.ts";
export * from "./usage.ts";
