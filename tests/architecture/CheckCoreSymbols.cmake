# Fails when the core library references a symbol of QtGui, QtWidgets, QtPrintSupport or
# QCustomPlot (undefined symbols it expects a GUI library to provide).
execute_process(COMMAND ${NM} --undefined-only --demangle ${LIBRARY}
                OUTPUT_VARIABLE symbols RESULT_VARIABLE result)
if(NOT result EQUAL 0)
    message(FATAL_ERROR "nm failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "[^\n]*(QWidget|QGuiApplication|QApplication|QPainter|QImage|QPixmap|QWindow|QCustomPlot|QCP[A-Z]|QPrinter)[^\n]*"
       offending "${symbols}")
if(offending)
    list(LENGTH offending count)
    list(SUBLIST offending 0 5 first)
    string(JOIN "\n  " shown ${first})
    message(FATAL_ERROR "core references ${count} GUI symbols, e.g.:\n  ${shown}")
endif()
string(REGEX MATCHALL "U [^\n]*" all "${symbols}")
list(LENGTH all total)
message(STATUS "core: ${total} undefined symbols, none from GUI libraries")
