@echo off
rem mp-secrets command line: runs lib\mpsecrets.jar with the java on JAVA_HOME, else on the PATH (Java 17 or later).
setlocal
set "HOME_DIR=%~dp0.."
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java") else (set "JAVA=java")
"%JAVA%" %JAVA_OPTS% -jar "%HOME_DIR%\lib\mpsecrets.jar" %*
exit /b %ERRORLEVEL%
