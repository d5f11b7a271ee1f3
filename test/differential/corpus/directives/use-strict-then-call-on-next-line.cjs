'use strict'
(function () {
  console.log('never reached: the string is called');
})();
