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
    If Not XlwingsLoaded() Then
        ' The xlwings add-in is not open: say how to install it.
        MsgBox Zh("672A 627E 5230") & " xlwings " & Zh("52A0 8F7D 9879 3002 8BF7 5148 5B89 88C5") & " Python " & _
            Zh("548C") & " xlsuite" & Zh("FF0C 518D 5728 547D 4EE4 884C 8FD0 884C FF1A") & "xlwings addin install", _
            vbExclamation, Zh("7EE9 6548 81EA 8BC4")
        Exit Sub
    End If
    On Error GoTo Failed
    Application.Run "'xlwings.xlam'!RunPython", _
        "import xlsuite.excel.actions as a; a.run_button('" & action & "', """ & PyPath(ThisWorkbook.Path) & """)"
    Exit Sub
Failed:
    ' xlwings is there but the call failed (Python missing, xlsuite not installed, ...): show
    ' Excel's own description, never the missing-add-in advice for another cause.
    MsgBox Zh("8C03 7528") & " Python " & Zh("65F6 51FA 9519 FF1A") & Err.Description & _
        Zh("FF08 9519 8BEF") & " " & Err.Number & Zh("FF09"), vbExclamation, Zh("7EE9 6548 81EA 8BC4")
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

' A folder as a Python string body: forward slashes (Windows accepts them) leave no backslash
' escapes, and a double quote (legal in macOS names) is escaped.
Private Function PyPath(ByVal folder As String) As String
    PyPath = Replace(Replace(folder, "\", "/"), """", "\""")
End Function

' Text from its UTF-16 code points in hex, separated by spaces ("6821 9A8C" is the word for validate).
Private Function Zh(ByVal codes As String) As String
    Dim part As Variant
    For Each part In Split(codes, " ")
        Zh = Zh & ChrW(CLng("&H" & part))
    Next part
End Function
