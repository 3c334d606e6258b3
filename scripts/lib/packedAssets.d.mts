export declare const RANKS_FILE: string;
export declare function brotliPack(bytes: Uint8Array): Buffer;
export declare function packRanks(ranks: readonly (string | readonly number[])[]): Buffer;
