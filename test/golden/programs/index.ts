// The golden-output programs (see test/golden.test.ts), written by test/golden/record-programs.ts.
import { App } from 'cdk8s';
import { build as mesh01 } from './mesh01';
import { build as mesh02 } from './mesh02';
import { build as mesh03 } from './mesh03';
import { build as mesh04 } from './mesh04';
import { build as mesh05 } from './mesh05';
import { build as mesh06 } from './mesh06';
import { build as mesh07 } from './mesh07';
import { build as mesh08 } from './mesh08';
import { build as mesh09 } from './mesh09';
import { build as mesh10 } from './mesh10';
import { build as mesh11 } from './mesh11';
import { build as mesh12 } from './mesh12';

/** Each program by name: it builds a fresh App with its mesh declared. */
export const PROGRAMS: Record<string, () => App> = { mesh01, mesh02, mesh03, mesh04, mesh05, mesh06, mesh07, mesh08, mesh09, mesh10, mesh11, mesh12 };
