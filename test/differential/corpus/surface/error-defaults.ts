console.log(Error.stackTraceLimit, typeof Error.prepareStackTrace, process.sourceMapsEnabled);
