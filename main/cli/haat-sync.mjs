#!/usr/bin/env node
// The `haat-sync` command: the sync CLI, run through tsx's loader from source.
// A packaged app ships the built JavaScript instead.
import { register } from 'tsx/esm/api';

register();
await import('./sync.ts');
