import { Chart } from 'cdk8s';

/** One invalid input: how to build it, and what its error message must say. */
export type BadInput = [name: string, build: () => Chart, expected: RegExp[]];
