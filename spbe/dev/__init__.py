"""Developer tools, outside the runtime: the benchmark (`python -m spbe bench`), the synthetic national-scale
stores it measures, and the headless-Chromium harness shared by the browser tests, the benchmark and the load
drill. The app never imports this package."""
