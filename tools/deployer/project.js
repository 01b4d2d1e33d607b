#!/usr/bin/env node
// Reads (and optionally builds) the project with DigitalOcean's own deployer library, the code that
// `doctl serverless deploy` runs, and prints what it understood as one JSON object on stdout:
//
//   node tools/deployer/project.js read  <project dir> <env file>
//   node tools/deployer/project.js build <project dir> <env file>   (runs each build.sh, zips as a deploy does)
//
// {"error": "...", "unresolved": [...], "functions": {"status/publish": {"environment": {...}, "webSecure": ...,
//  "triggers": [...], "limits": {...}, "runtime": "...", "web": ..., "zip": "<path of __deployer__.zip>"}}}
// Nothing is deployed: no credentials are read and no request leaves the machine.
"use strict";

const path = require("path");
const deployer = require("@nimbella/nimbella-deployer");

const quiet = {
  // The deployer reports progress through this interface; keep stdout for the JSON answer.
  progress: (...args) => process.stderr.write(args.join(" ") + "\n"),
  warn: (...args) => process.stderr.write("warning: " + args.join(" ") + "\n"),
};

function describe(project) {
  const functions = {};
  for (const pkg of project.packages || []) {
    for (const action of pkg.actions || []) {
      functions[`${pkg.name}/${action.name}`] = {
        // The package's environment reaches every function in it; a function's own entries win.
        environment: { ...(pkg.environment || {}), ...(action.environment || {}) },
        webSecure: action.webSecure === undefined ? null : action.webSecure,
        web: action.web === undefined ? null : action.web,
        runtime: action.runtime || null,
        limits: action.limits || null,
        triggers: action.triggers || [],
        zip: action.file && action.zipped ? path.resolve(project.filePath || ".", action.file) : null,
      };
    }
  }
  return functions;
}

async function main() {
  const [command, projectDir, envFile] = process.argv.slice(2);
  if (!["read", "build"].includes(command) || !projectDir || !envFile) {
    process.stderr.write("usage: project.js read|build <project dir> <env file>\n");
    process.exit(2);
  }
  const includer = deployer.makeIncluder(undefined, undefined);
  let project = await deployer.readProject(projectDir, envFile, undefined, includer, false, quiet, false);
  if (!project.error && command === "build") {
    project.flags = project.flags || {};
    project = await deployer.buildProject(project);
  }
  const answer = {
    error: project.error ? String(project.error.message || project.error) : null,
    unresolved: project.unresolvedVariables || [],
    functions: describe(project),
  };
  process.stdout.write(JSON.stringify(answer) + "\n");
}

main().catch((error) => {
  process.stdout.write(JSON.stringify({ error: String(error && error.message ? error.message : error) }) + "\n");
  process.exit(1);
});
