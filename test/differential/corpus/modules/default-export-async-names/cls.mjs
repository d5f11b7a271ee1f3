export default class { async run() { return 'anonymous class method'; } }
