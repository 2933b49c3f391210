export declare const SCENARIOS: string[];
export interface HostileImage {
  repo: string;
  digest: string;
  size: number;
  ref: string;
}
export interface HostileStats {
  requests: number;
  inFlight: number;
  maxInFlight: number;
  bytesSent: number;
  byPath: Map<string, number>;
}
export interface HostileRegistry {
  host: string;
  image(scenario: string): HostileImage;
  stats(): HostileStats;
  resetStats(): void;
  close(): Promise<void>;
}
export declare function startHostileRegistry(opts?: { big?: number; count?: number }): Promise<HostileRegistry>;
