/** The tool's version, reported in the CLI's JSON, SARIF and User-Agent. A test keeps it equal to package.json's. */
export const toolVersion = '0.1.0';
export const toolRepository = 'https://github.com/cargo-trust/cargo-trust';
