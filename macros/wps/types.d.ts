// What the add-in's scripts share as globals in the page, and CommonJS in Node's tests.
declare var module: { exports: any };
declare var XLSUITE_CONFIG: { server: string; pyodide: string; sources: string };
interface Window { XLSUITE_CONFIG: { server: string; pyodide: string; sources: string }; ribbon: any; }
