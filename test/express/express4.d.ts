// `express4` is an npm alias of express@4 (package.json devDependencies); its API and types are those
// of `express` (@types/express), which the adapter is written against.
declare module 'express4' {
  import express = require('express');
  export = express;
}
