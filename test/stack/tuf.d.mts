/** A signed TUF repository: repository path → file content (root at "root.json"). */
export function buildTufRepo(targets: Record<string, Buffer>): Map<string, Buffer>;
