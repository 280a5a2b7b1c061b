"""HTTP tests of SMS codes: requestSmsCode, delivery by the worker, changeMobile, code rules and send limits."""
