class Helper { async run() { await null; return 'helper ran'; } }
export = Helper;
