Promise.reject({ code: 'E_CUSTOM', detail: [1, 2] });
