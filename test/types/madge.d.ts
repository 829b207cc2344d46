/**
 * The part of madge's API test/architecture.test.ts uses (madge ships no types and there is no
 * @types/madge here). madge's module exports one function, `madge(path, config)`, whose promise
 * resolves to the dependency graph's object once the files are read (madge/lib/api.js).
 */
declare module 'madge' {
  namespace madge {
    interface MadgeConfig {
      readonly fileExtensions?: string[];
      readonly excludeRegExp?: Array<RegExp | string>;
      readonly tsConfig?: string | object;
      readonly detectiveOptions?: Record<string, Record<string, unknown>>;
      readonly [option: string]: unknown;
    }
    interface MadgeInstance {
      /** The graph: each file (relative to the base directory) and the files it imports. */
      obj(): Record<string, string[]>;
      warnings(): { skipped: string[] };
      circular(): string[][];
      circularGraph(): Record<string, string[]>;
      depends(id: string): string[];
      orphans(): string[];
      leaves(): string[];
    }
  }
  function madge(path: string | string[] | Record<string, string[]>, config?: madge.MadgeConfig): Promise<madge.MadgeInstance>;
  export = madge;
}
