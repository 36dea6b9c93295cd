; Inno Setup script for ITP Desktop (Windows). Wraps the one-folder bundle built on Windows by
;   python packaging\build.py bundle
; then compile with: iscc packaging\windows\installer.iss
; Silent install for hospital IT, with a department configuration folder copied to ProgramData:
;   itp-desktop-setup.exe /VERYSILENT /DEPTCONFIG="\\server\share\haematology-config"
#define AppName "ITP Desktop"
#define AppVersion GetEnv("ITP_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C1E3F2A-4B8D-4F5E-9C1A-1D2B3C4D5E6F}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=ITP Desktop team
DefaultDirName={autopf}\ITP Desktop
DefaultGroupName=ITP Desktop
OutputBaseFilename=itp-desktop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
UninstallDisplayIcon={app}\itp-desktop.exe

[Files]
Source: "..\..\dist\itp-desktop\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
Source: "..\department-config-example\*"; DestDir: "{app}\department-config-example"; Flags: recursesubdirs

[Dirs]
; The department configuration folder read by the app (platformdirs site config dir).
Name: "{commonappdata}\itp-desktop\itp-desktop"; Permissions: users-readexec

[Icons]
Name: "{group}\ITP Desktop"; Filename: "{app}\itp-desktop.exe"
Name: "{commondesktop}\ITP Desktop"; Filename: "{app}\itp-desktop.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "Create a desktop shortcut"; Flags: unchecked

[Code]
function DeptConfig(): String;
begin
  Result := ExpandConstant('{param:DEPTCONFIG|}');
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Src, Dst: String;
  ResultCode: Integer;
begin
  if (CurStep = ssPostInstall) and (DeptConfig() <> '') then
  begin
    Src := DeptConfig();
    Dst := ExpandConstant('{commonappdata}\itp-desktop\itp-desktop');
    Exec(ExpandConstant('{sys}\robocopy.exe'), '"' + Src + '" "' + Dst + '" /E /NFL /NDL /NJH /NJS',
      '', SW_HIDE, ewWaitUntilTerminated, ResultCode);
  end;
end;
