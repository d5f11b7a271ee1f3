export const value = 'dynamic import from CommonJS';
export default async function () { return 'default async export'; }
