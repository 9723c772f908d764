@echo off
rem haat-sync (pull, then push) and haat-provision (install this till from
rem head office's file): each runs the command of its own name bundled in the
rem app, with the app's own runtime, on the till data the app keeps.
setlocal
if not defined HAAT_TILL_DIR set "HAAT_TILL_DIR=%APPDATA%\Haat"
set ELECTRON_RUN_AS_NODE=1
"%~dp0..\..\Haat.exe" "%~dp0..\app.asar\dist\electron\%~n0.cjs" %*
exit /b %ERRORLEVEL%
