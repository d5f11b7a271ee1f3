// Corpus programs, shard 2 of 3 (see suite.ts and README.md).
import { describe } from 'vitest';
import { defineCorpusShard } from './suite.js';

describe('differential corpus (bare vs async-prof run)', () => defineCorpusShard(1, 3));
