export function fromJs() { return 'ES syntax in a .js file (no "type")'; }
