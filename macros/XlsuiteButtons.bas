Attribute VB_Name = "XlsuiteButtons"
' The four xlsuite buttons: validate, score, forms (the two official forms) and report (the
' self-evaluation report, a Word file next to the workbook).
' Each runs one Python action on the active workbook through the xlwings add-in's RunPython.
' Python shows every message itself, in Chinese; this file stays ASCII so that it reads the
' same under any VBA code page (Chinese text below is spelt as UTF-16 code points).
Option Explicit

Public Sub XlsuiteValidate()
    RunAction "validate"
End Sub

Public Sub XlsuiteScore()
    RunAction "score"
End Sub

Public Sub XlsuiteForms()
    RunAction "forms"
End Sub

Public Sub XlsuiteReport()
    RunAction "report"
End Sub

Private Sub RunAction(ByVal action As String)
    Dim server As String
    server = ServerSetting(ThisWorkbook.Path)
    If server <> "" And action <> "report" Then
        ' The county's xlsuite serve (xlsuite.toml beside the add-in): no Python needed here.
        RunOnCountyServer server, action
        Exit Sub
    End If
    If Not XlwingsLoaded() Then
        ' The xlwings add-in is not open: say how to install it.
        MsgBox Zh("672A 627E 5230") & " xlwings " & Zh("52A0 8F7D 9879 3002 8BF7 5148 5B89 88C5") & " Python " & _
            Zh("548C") & " xlsuite" & Zh("FF0C 518D 5728 547D 4EE4 884C 8FD0 884C FF1A") & "xlwings addin install", _
            vbExclamation, Zh("7EE9 6548 81EA 8BC4")
        Exit Sub
    End If
    If Not InterpreterFound() Then Exit Sub
    On Error GoTo Failed
    Application.Run "'xlwings.xlam'!RunPython", PythonCall(action, ThisWorkbook.IsAddin)
    Exit Sub
Failed:
    ' xlwings is there but Excel could not run its RunPython (a damaged or blocked add-in):
    ' show Excel's own description, never the missing-add-in advice for another cause.
    MsgBox Zh("8C03 7528") & " Python " & Zh("65F6 51FA 9519 FF1A") & Err.Description & _
        Zh("FF08 9519 8BEF") & " " & Err.Number & Zh("FF09"), vbExclamation, Zh("7EE9 6548 81EA 8BC4")
End Sub

' The Python statement RunPython runs. xlwings pastes it unescaped between double quotes of a
' cmd.exe command line (python -B -c "...; <statement>"): it carries only ASCII words, single
' quotes and backslash escapes, none of which cmd.exe or the C runtime's argument splitting
' changes. No path goes in it (a user name with a space, a quote or "&" would split or end the
' argument): Python asks Excel where the buttons' workbook is. A Python without xlsuite stops
' with a Chinese line on stderr (spelt as \u escapes), which xlwings shows in its error box.
Public Function PythonCall(ByVal action As String, ByVal fromAddin As Boolean) As String
    Dim entry As String
    If fromAddin Then entry = "addin" Else entry = "book"
    PythonCall = "import importlib.util as u, sys; u.find_spec('xlsuite') or sys.exit('" & NoXlsuite() & "'); " & _
        "import xlsuite.excel.actions as a; a.run_button('" & action & "', '" & entry & "')"
End Function

' What a Python without xlsuite says ("xlsuite is not installed in this Python: run the
' offline package's install script again"), as a Python string body: non-ASCII as \u escapes.
Public Function NoXlsuite() As String
    NoXlsuite = PyEscape(Zh("8FD9 4E2A") & " Python " & Zh("4E2D 6CA1 6709 5B89 88C5") & " xlsuite" & _
        Zh("FF0C 8BF7 91CD 65B0 8FD0 884C 79BB 7EBF 5B89 88C5 5305 4E2D 7684") & " " & Zh("5B89 88C5") & ".bat" & Zh("3002"))
End Function

' Text as the body of a Python string literal in ASCII: every other character as \uXXXX.
Public Function PyEscape(ByVal text As String) As String
    Dim i As Long, code As Long
    For i = 1 To Len(text)
        code = AscW(Mid$(text, i, 1)) And &HFFFF&
        If code < 128 Then
            PyEscape = PyEscape & Mid$(text, i, 1)
        Else
            PyEscape = PyEscape & "\u" & LCase(Right$("000" & Hex$(code), 4))
        End If
    Next i
End Function

' Whether the Python that xlwings is set to run exists. xlwings' own answer to a missing one is an
' English box ("Could not find Interpreter!"): say it in Chinese first, with what to do.
Private Function InterpreterFound() As Boolean
    Dim interpreter As String
    InterpreterFound = True
    ' (a run-time test, not #If Mac: LibreOffice's Basic, which tests this module, has no #If)
    If InStr(Application.OperatingSystem, "Windows") = 0 Then Exit Function
    On Error Resume Next
    interpreter = CStr(Application.Run("'xlwings.xlam'!GetConfig", "INTERPRETER_WIN", ""))
    On Error GoTo 0
    If Not IsInterpreterPath(interpreter) Then Exit Function
    If FileExistsAt(interpreter) Then Exit Function
    InterpreterFound = False
    ' The Python set for xlwings is missing: ... run the install script again.
    MsgBox MissingInterpreterMessage(interpreter), vbExclamation, Zh("7EE9 6548 81EA 8BC4")
End Function

' Whether xlwings would look for the interpreter as a file (a full path), not on PATH.
Public Function IsInterpreterPath(ByVal interpreter As String) As Boolean
    IsInterpreterPath = (InStr(interpreter, "\") > 0 Or InStr(interpreter, "/") > 0)
End Function

Public Function MissingInterpreterMessage(ByVal interpreter As String) As String
    ' Python not found: <path> / run the install script of the offline package again.
    MissingInterpreterMessage = Zh("627E 4E0D 5230") & " Python" & Zh("FF1A") & interpreter & vbCrLf & _
        Zh("8BF7 91CD 65B0 8FD0 884C 8D22 653F 5C40 79BB 7EBF 5B89 88C5 5305 4E2D 7684") & " " & Zh("5B89 88C5") & ".bat" & Zh("3002")
End Function

Private Function FileExistsAt(ByVal path As String) As Boolean
    On Error Resume Next
    FileExistsAt = (Len(Dir(path, vbNormal)) > 0)
End Function

' Run the action on the county's server and show its messages; any failure is one Chinese box.
Private Sub RunOnCountyServer(ByVal server As String, ByVal action As String)
    Dim messages As String
    On Error GoTo Failed
    Application.StatusBar = Zh("6B63 5728 8FDE 63A5 53BF 91CC 7684") & " xlsuite " & Zh("670D 52A1 2026 2026")
    messages = RunOnServer(server, action)
    Application.StatusBar = False
    If messages <> "" Then MsgBox messages, vbInformation, Zh("7EE9 6548 81EA 8BC4")
    Exit Sub
Failed:
    Application.StatusBar = False
    ' The county's xlsuite service did not answer: <reason>. Ask the finance bureau.
    MsgBox Zh("53BF 91CC 7684") & " xlsuite " & Zh("670D 52A1 672A 80FD 5B8C 6210 FF1A") & Err.Description & vbCrLf & _
        server & vbCrLf & Zh("8BF7 8054 7CFB 8D22 653F 5C40 7EE9 6548 80A1 3002"), vbExclamation, Zh("7EE9 6548 81EA 8BC4")
End Sub

' Whether the xlwings add-in is open: an add-in is not listed among the workbooks, but Excel
' still finds it by name.
Private Function XlwingsLoaded() As Boolean
    Dim book As Object
    On Error Resume Next
    Set book = Application.Workbooks("xlwings.xlam")
    XlwingsLoaded = Not (book Is Nothing)
    On Error GoTo 0
End Function

' Text from its UTF-16 code points in hex, separated by spaces ("6821 9A8C" is the word for validate).
Private Function Zh(ByVal codes As String) As String
    Dim part As Variant
    For Each part In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & part))
    Next part
End Function
