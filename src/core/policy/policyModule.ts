// dist/policy.js: the policy compiler, the command knowledge it carries, and the explanations the Inspect panel
// shows. The extension loads it on the first decision or explanation (src/vscode/policyHost.ts), not at activation.
export { createPolicy } from './createPolicy';
export { explainCommand, explainPath, explainRule, RULE_LIST_SETTINGS } from './explain';
