export declare function peakRssEnv(file: string): { NODE_OPTIONS: string; PEAK_RSS_FILE: string };
export declare function readPeakRssMB(file: string): number;
