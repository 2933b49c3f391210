import * as core from '@actions/core';
import { errorLine } from './errors.js';
import { readActionInputs } from './inputs.js';
import { run } from './main.js';

// Entry point: inputs are read (and validated) once, then the pipeline runs.
try {
  await run(readActionInputs());
} catch (err) {
  core.setFailed(errorLine(err));
}
