// The `vscode` module, re-exported once: esbuild.mjs points every other import of 'vscode' in dist/warden.js
// here, so the API object is copied onto one namespace at load instead of once per importing module.
export * from 'vscode';
