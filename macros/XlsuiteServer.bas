Attribute VB_Name = "XlsuiteServer"
' The Excel thin client of the county's xlsuite serve: for a PC with Excel and no Python.
' It sends the active workbook as xlsuite's host protocol (JSON), and applies the edits the
' server answers, with only what Windows has (MSXML2.ServerXMLHTTP). The buttons use it when
' xlsuite.toml beside the add-in names a server (server = "http://10.1.2.3:8765") and xlwings
' cannot run here. This file stays ASCII (Chinese text spelt as UTF-16 code points, as in
' XlsuiteButtons).
Option Explicit

' --- settings ------------------------------------------------------------------------------------

' The server named in a settings text (the xlsuite.toml beside the add-in), or "".
Public Function ServerFromSettings(ByVal text As String) As String
    Dim line As Variant, rest As String, q As Long
    For Each line In Split(Replace(text, vbCr, ""), vbLf)
        rest = Trim$(CStr(line))
        If Left$(rest, 6) = "server" Then
            rest = Trim$(Mid$(rest, 7))
            If Left$(rest, 1) = "=" Then
                rest = Trim$(Mid$(rest, 2))
                If Left$(rest, 1) = """" Then
                    q = InStr(2, rest, """")
                    If q > 2 Then ServerFromSettings = Mid$(rest, 2, q - 2)
                End If
            End If
        End If
    Next line
End Function

Public Function ServerSetting(ByVal folder As String) As String
    Dim path As String, text As String, f As Integer
    path = folder & Application.PathSeparator & "xlsuite.toml"
    On Error GoTo Missing
    If Len(Dir(path)) = 0 Then Exit Function
    f = FreeFile
    Open path For Binary Access Read As #f
    text = Space$(LOF(f))
    Get #f, , text
    Close #f
    ServerSetting = ServerFromSettings(text)
Missing:
End Function

' --- the book as JSON ------------------------------------------------------------------------------

Public Function JsonText(ByVal s As String) As String
    Dim i As Long, ch As String, code As Long, out As String
    out = """"
    For i = 1 To Len(s)
        ch = Mid$(s, i, 1)
        code = AscW(ch) And &HFFFF&
        If ch = """" Then
            out = out & "\"""
        ElseIf ch = "\" Then
            out = out & "\\"
        ElseIf code < 32 Or code > 126 Then
            out = out & "\u" & Right$("000" & LCase(Hex$(code)), 4)
        Else
            out = out & ch
        End If
    Next i
    JsonText = out & """"
End Function

' A cell's value as the protocol carries it: numbers with a point whatever the locale, error
' cells as the text Excel shows, empty as "".
Public Function JsonValue(ByVal v As Variant) As String
    If IsError(v) Then
        JsonValue = JsonText(ErrorText(CLng(v)))
    ElseIf IsEmpty(v) Or IsNull(v) Then
        JsonValue = """"""
    ElseIf VarType(v) = vbBoolean Then
        If v Then JsonValue = "true" Else JsonValue = "false"
    ElseIf IsNumeric(v) And VarType(v) <> vbString Then
        JsonValue = Trim$(Str$(CDbl(v)))
        If Left$(JsonValue, 1) = "." Then JsonValue = "0" & JsonValue
        If Left$(JsonValue, 2) = "-." Then JsonValue = "-0" & Mid$(JsonValue, 2)
    Else
        JsonValue = JsonText(CStr(v))
    End If
End Function

Public Function ErrorText(ByVal code As Long) As String
    Select Case code
        Case 2007: ErrorText = "#DIV/0!"
        Case 2042: ErrorText = "#N/A"
        Case 2029: ErrorText = "#NAME?"
        Case 2000: ErrorText = "#NULL!"
        Case 2036: ErrorText = "#NUM!"
        Case 2023: ErrorText = "#REF!"
        Case 2015: ErrorText = "#VALUE!"
        Case Else: ErrorText = "#VALUE!"
    End Select
End Function

' A grid (a 2-D array from Range.Value2, or one value) as JSON rows.
Public Function JsonGrid(ByVal grid As Variant) As String
    Dim r As Long, c As Long, rows As String, row As String
    If Not IsArray(grid) Then
        JsonGrid = "[[" & JsonValue(grid) & "]]"
        Exit Function
    End If
    For r = LBound(grid, 1) To UBound(grid, 1)
        row = ""
        For c = LBound(grid, 2) To UBound(grid, 2)
            If c > LBound(grid, 2) Then row = row & ","
            row = row & JsonValue(grid(r, c))
        Next c
        If r > LBound(grid, 1) Then rows = rows & ","
        rows = rows & "[" & row & "]"
    Next r
    JsonGrid = "[" & rows & "]"
End Function

' The open workbook as the protocol's book: one read of each sheet, from A1 to its last used cell.
Public Function BookJson(ByVal book As Object) As String
    Dim sheet As Object, sheets As String, last As Object, i As Long, active As Long
    For Each sheet In book.Worksheets
        i = i + 1
        If sheet.Name = book.ActiveSheet.Name Then active = i - 1
        Set last = sheet.UsedRange
        Set last = last.Cells(last.Rows.Count, last.Columns.Count)
        If i > 1 Then sheets = sheets & ","
        sheets = sheets & "{""name"":" & JsonText(sheet.Name) & ",""values"":" & _
            JsonGrid(Values(sheet.Range(sheet.Cells(1, 1), last))) & "}"
    Next sheet
    BookJson = "{""client"":""xlsuite-vba"",""version"":"""",""protocol"":1,""book"":{""name"":" & JsonText(book.Name) & _
        ",""fullname"":" & JsonText(book.FullName) & ",""active_sheet_index"":" & active & _
        ",""selection"":""A1""},""names"":[],""sheets"":[" & sheets & "]}"
End Function

' A range's values in one read: Value2 (dates as serial numbers, as the file reader sees them);
' Value where an application has no Value2 (LibreOffice's VBA support, which runs the tests).
Private Function Values(ByVal target As Object) As Variant
    On Error GoTo NoValue2
    Values = target.Value2
    Exit Function
NoValue2:
    Values = target.Value
End Function

' --- the server's answer ------------------------------------------------------------------------

' A JSON text as VBA values: objects as Collections keyed by name, arrays as 1-based Variant
' arrays (Empty for an empty one), null as Null. Raises error 5 on anything that is not JSON.
Public Function ParseJson(ByVal text As String) As Variant
    Dim at As Long
    at = 1
    SkipSpace text, at
    If Mid$(text, at, 1) = "{" Then
        Set ParseJson = ParseObject(text, at)
    Else
        ParseJson = ParseValue(text, at)
    End If
End Function

Private Sub SkipSpace(ByVal text As String, at As Long)
    Do While at <= Len(text)
        Select Case Mid$(text, at, 1)
            Case " ", vbTab, vbCr, vbLf: at = at + 1
            Case Else: Exit Do
        End Select
    Loop
End Sub

Private Function ParseValue(ByVal text As String, at As Long) As Variant
    Dim ch As String
    SkipSpace text, at
    ch = Mid$(text, at, 1)
    Select Case ch
        Case "{"
            Set ParseValue = ParseObject(text, at)
        Case "["
            ParseValue = ParseArray(text, at)
        Case """"
            ParseValue = ParseString(text, at)
        Case "t"
            at = at + 4: ParseValue = True
        Case "f"
            at = at + 5: ParseValue = False
        Case "n"
            at = at + 4: ParseValue = Null
        Case Else
            ParseValue = ParseNumber(text, at)
    End Select
End Function

Private Function ParseObject(ByVal text As String, at As Long) As Collection
    Dim result As New Collection, key As String, value As Variant
    at = at + 1
    SkipSpace text, at
    If Mid$(text, at, 1) = "}" Then
        at = at + 1
        Set ParseObject = result
        Exit Function
    End If
    Do
        SkipSpace text, at
        key = ParseString(text, at)
        SkipSpace text, at
        at = at + 1 ' the colon
        SkipSpace text, at
        If Mid$(text, at, 1) = "{" Then
            result.Add ParseObject(text, at), key
        Else
            result.Add ParseValue(text, at), key
        End If
        SkipSpace text, at
        If Mid$(text, at, 1) = "," Then
            at = at + 1
        Else
            at = at + 1 ' the closing brace
            Exit Do
        End If
    Loop
    Set ParseObject = result
End Function

Private Function ParseArray(ByVal text As String, at As Long) As Variant
    Dim items() As Variant, n As Long
    at = at + 1
    SkipSpace text, at
    If Mid$(text, at, 1) = "]" Then
        at = at + 1
        ParseArray = Empty
        Exit Function
    End If
    Do
        n = n + 1
        ReDim Preserve items(1 To n)
        SkipSpace text, at
        If Mid$(text, at, 1) = "{" Then
            Set items(n) = ParseObject(text, at)
        Else
            items(n) = ParseValue(text, at)
        End If
        SkipSpace text, at
        If Mid$(text, at, 1) = "," Then
            at = at + 1
        Else
            at = at + 1 ' the closing bracket
            Exit Do
        End If
    Loop
    ParseArray = items
End Function

Private Function ParseString(ByVal text As String, at As Long) As String
    Dim out As String, ch As String
    at = at + 1
    Do While at <= Len(text)
        ch = Mid$(text, at, 1)
        If ch = """" Then
            at = at + 1
            ParseString = out
            Exit Function
        ElseIf ch = "\" Then
            ch = Mid$(text, at + 1, 1)
            Select Case ch
                Case "n": out = out & vbLf
                Case "r": out = out & vbCr
                Case "t": out = out & vbTab
                Case "b": out = out & Chr$(8)
                Case "f": out = out & Chr$(12)
                Case "u"
                    out = out & ChrW(CLng("&H" & Mid$(text, at + 2, 4)))
                    at = at + 4
                Case Else: out = out & ch
            End Select
            at = at + 2
        Else
            out = out & ch
            at = at + 1
        End If
    Loop
    Err.Raise 5
End Function

Private Function ParseNumber(ByVal text As String, at As Long) As Variant
    Dim start As Long
    start = at
    Do While at <= Len(text) And InStr("+-0123456789.eE", Mid$(text, at, 1)) > 0
        at = at + 1
    Loop
    If at = start Then Err.Raise 5
    ParseNumber = Val(Mid$(text, start, at - start))
End Function

' --- applying the edits -----------------------------------------------------------------------

Public Function Address(ByVal row As Long, ByVal col As Long, ByVal rows As Long, ByVal cols As Long) As String
    Address = ColumnName(col) & (row + 1)
    If rows > 1 Or cols > 1 Then Address = Address & ":" & ColumnName(col + cols - 1) & (row + rows)
End Function

Public Function ColumnName(ByVal col As Long) As String
    col = col + 1
    Do While col > 0
        ColumnName = Chr$(65 + (col - 1) Mod 26) & ColumnName
        col = (col - 1) \ 26
    Loop
End Function

' "#rrggbb" as Excel's Color (red + green * 256 + blue * 65536).
Public Function ColourOf(ByVal hex As String) As Long
    ColourOf = RGB(CLng("&H" & Mid$(hex, 2, 2)), CLng("&H" & Mid$(hex, 4, 2)), CLng("&H" & Mid$(hex, 6, 2)))
End Function

' Apply the edits of a server answer to ``book``; returns the messages to show, one a line.
Public Function ApplyAnswer(ByVal book As Object, ByVal answer As Collection) As String
    Dim edits As Variant, i As Long, edit As Collection, messages As String
    edits = answer("actions")
    If IsEmpty(edits) Then Exit Function
    For i = LBound(edits) To UBound(edits)
        Set edit = edits(i)
        messages = messages & ApplyEdit(book, edit)
    Next i
    ApplyAnswer = messages
End Function

Private Function ApplyEdit(ByVal book As Object, ByVal edit As Collection) As String
    Dim args As Variant, target As Object, sheet As Object
    args = edit("args")
    Select Case edit("func")
        Case "addSheet"
            If args(1) = 0 Then
                Set sheet = book.Worksheets.Add(Before:=book.Worksheets(1))
            Else
                Set sheet = book.Worksheets.Add(After:=book.Worksheets(CLng(args(1))))
            End If
            sheet.Name = args(2)
        Case "alert"
            ApplyEdit = args(1) & vbLf
        Case "activateSheet"
            book.Worksheets(CLng(args(1)) + 1).Activate
        Case "sheetClear"
            book.Worksheets(CLng(edit("sheet_position")) + 1).Cells.Clear
        Case "sheetClearContents"
            book.Worksheets(CLng(edit("sheet_position")) + 1).Cells.ClearContents
        Case Else
            Set target = book.Worksheets(CLng(edit("sheet_position")) + 1).Range( _
                Address(edit("start_row"), edit("start_column"), edit("row_count"), edit("column_count")))
            Select Case edit("func")
                Case "setValues": target.Value = GridOf(edit("values"))
                Case "setRangeColor": SetFill target, args(1)
                Case "setRangeColors": SetFills target, args(1)
                Case "setColumnWidth": target.ColumnWidth = args(1)
                Case "setFontProperty": target.Font.Bold = args(2)
                Case "rangeMerge": target.Merge args(1)
                Case Else: Err.Raise 5, , "xlsuite: unknown edit " & edit("func")
            End Select
    End Select
End Function

Private Function GridOf(ByVal rows As Variant) As Variant
    Dim grid() As Variant, r As Long, c As Long, row As Variant
    ReDim grid(1 To UBound(rows), 1 To UBound(rows(1)))
    For r = 1 To UBound(rows)
        row = rows(r)
        For c = 1 To UBound(row)
            grid(r, c) = CellOf(row(c))
        Next c
    Next r
    GridOf = grid
End Function

' A value as Range.Value takes it without changing it: a text that is not a formula gets the
' apostrophe that keeps it text ("100%" and "2023-01-01" would become a number or a date).
Public Function CellOf(ByVal v As Variant) As Variant
    If IsNull(v) Then
        CellOf = Empty
    ElseIf VarType(v) = vbString Then
        If v = "" Or Left$(v, 1) = "=" Or Left$(v, 1) = "'" Then CellOf = v Else CellOf = "'" & v
    Else
        CellOf = v
    End If
End Function

Private Sub SetFill(ByVal target As Object, ByVal fill As Variant)
    If IsNull(fill) Then
        target.Interior.ColorIndex = -4142
    Else
        target.Interior.Color = ColourOf(fill)
    End If
End Sub

Private Sub SetFills(ByVal target As Object, ByVal matrix As Variant)
    Dim r As Long, c As Long, row As Variant
    For r = 1 To UBound(matrix)
        row = matrix(r)
        For c = 1 To UBound(row)
            If IsNull(row(c)) Then
                SetFill target.Cells(r, c), Null
            ElseIf row(c) <> "keep" Then
                SetFill target.Cells(r, c), row(c)
            End If
        Next c
    Next r
End Sub

' --- the one call that needs Windows ---------------------------------------------------------------

' POST ``body`` to ``url`` as JSON; the answer's text, or an error with the server's message.
Public Function PostJson(ByVal url As String, ByVal body As String) As String
    Dim http As Object
    Set http = CreateObject("MSXML2.ServerXMLHTTP.6.0")
    http.setTimeouts 5000, 5000, 120000, 120000
    http.Open "POST", url, False
    http.setRequestHeader "Content-Type", "application/json; charset=utf-8"
    http.send body
    PostJson = http.responseText
    If http.Status <> 200 Then Err.Raise vbObjectError + http.Status, , ServerMessage(PostJson)
End Function

Public Function ServerMessage(ByVal answer As String) As String
    Dim parsed As Object
    On Error GoTo NotJson
    Set parsed = ParseJson(answer)
    ServerMessage = parsed("error")
    Exit Function
NotJson:
    ServerMessage = answer
End Function

' Run ``action`` on the active workbook on the server; the messages to show.
Public Function RunOnServer(ByVal server As String, ByVal action As String) As String
    Dim answer As Variant
    Set answer = ParseJson(PostJson(server & "/api/" & action, BookJson(ActiveWorkbook)))
    RunOnServer = ApplyAnswer(ActiveWorkbook, answer)
End Function
