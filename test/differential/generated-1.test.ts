// Generated programs (DIFF_SEED, DIFF_COUNT), shard 1 of 2 (see suite.ts and README.md).
import { describe } from 'vitest';
import { defineGeneratedShard } from './suite.js';

describe('differential generated programs (bare vs async-prof run)', () => defineGeneratedShard(0, 2));
