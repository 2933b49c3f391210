// Types of the precompiled CycloneDX 1.6 check beside it (scripts/gen-cyclonedx-validator.mjs):
// an ajv validate function, errors on itself after a false result.
export declare const validate: { (data: unknown): boolean; errors?: unknown };
export default validate;
