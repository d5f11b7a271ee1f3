// Types of checksum.mjs for the TypeScript samples.
export declare function checksum(rounds: number): number;
export declare function roundsFor(ms: number): number;
