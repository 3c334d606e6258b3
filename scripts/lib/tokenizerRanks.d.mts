export declare const RANKS_FILE: string;
export declare function packRanks(ranks: readonly (string | readonly number[])[]): Buffer;
