// The one public entry to command knowledge: the command policy, and the "Always allow" entry it would
// offer. Everything else in this folder is internal to it.
export { CommandPolicy, MAX_COMMAND_CHARS, type CommandPolicyOptions } from './commandPolicy';
export type { PathJudge } from './judgePaths';
export { alwaysAllowEntry } from './alwaysAllow';
// Environment variables that make a program load or run other code (LD_PRELOAD, NODE_OPTIONS…): also what an
// MCP server definition from a repository is warned about.
export { isRiskyVariable } from './riskyVariables';
