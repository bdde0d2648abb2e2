Attribute VB_Name = "XlsuiteRibbon"
' Callbacks of the add-in's ribbon tab (customUI.xml): each button runs the same macro as the
' template's button of that name. Ribbon callbacks take the control that was clicked.
Option Explicit

Public Sub RibbonValidate(control As IRibbonControl)
    XlsuiteValidate
End Sub

Public Sub RibbonScore(control As IRibbonControl)
    XlsuiteScore
End Sub

Public Sub RibbonForms(control As IRibbonControl)
    XlsuiteForms
End Sub

Public Sub RibbonReport(control As IRibbonControl)
    XlsuiteReport
End Sub
