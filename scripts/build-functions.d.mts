/** Types of build-functions.mjs, for the tests and benchmarks that import it. */
export declare const FUNCTIONS: Readonly<Record<string, string>>;

export interface BuildOptions {
  outdir?: string;
  registry?: string;
  only?: readonly string[];
  warn?: (message: string) => void;
}

export interface BuiltFunction {
  bundle: string;
  bytes: number;
  exports: string[];
}

export declare function findRegistry(root?: string, env?: Readonly<Record<string, string | undefined>>): string;
export declare function buildFunctions(options?: BuildOptions): Promise<Record<string, BuiltFunction>>;
