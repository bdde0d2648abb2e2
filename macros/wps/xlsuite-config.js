/* xlsuite 加载项的设置（按文件夹安装时由信息管理员填写；由 xlsuite serve 提供加载项时，服务器给出它自己的设置）
 * server:  县里 xlsuite serve 的地址，如 "http://10.1.2.3:8765"；留空则只用网页内的 Python
 * pyodide: Pyodide 所在的网址（以 / 结尾），如 "http://10.1.2.3:8765/pyodide/"；留空则只用县里的服务
 * sources: xlsuite 的 Python 代码包，如 "http://10.1.2.3:8765/wps/xlsuite-py.zip" */
self.XLSUITE_CONFIG = { "server": "", "pyodide": "", "sources": "" };
