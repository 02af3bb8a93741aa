# The page scripts built from web/ (docs/report.md, docs/explorer.md): `npm ci` in web/ once,
# then, per script, Vite builds web/src into one file in the build folder and embed_file.cmake
# turns it into a C++ source. Each step reruns only when its inputs change.
find_program(MERCATO_NPM npm)
if(NOT MERCATO_NPM)
  message(FATAL_ERROR "npm not found: `make` installs it (tools/setup.sh); the report's charts "
                      "and the explorer's page are built from web/ with npm")
endif()
set(MERCATO_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(MERCATO_WEB_INSTALLED ${MERCATO_WEB_DIR}/node_modules/.package-lock.json)

# mercato_web_script(<out_var> SCRIPT <file.js> NPM_SCRIPT <package.json script>
#                    NAMESPACE <ns> FUNCTION <name> HEADER <header> SOURCES <web files...>)
# Builds <build>/web/<file.js> with `npm run <script>` and sets <out_var> to a C++ source that
# defines `std::string_view <ns>::<name>()` returning it (declared in <header>). The target
# compiling that source must depend on mercato_web_packages (src/report/CMakeLists.txt).
function(mercato_web_script out_var)
  cmake_parse_arguments(ARG "" "SCRIPT;NPM_SCRIPT;NAMESPACE;FUNCTION;HEADER" "SOURCES" ${ARGN})
  set(script ${CMAKE_CURRENT_BINARY_DIR}/web/${ARG_SCRIPT})
  add_custom_command(
    OUTPUT ${script}
    COMMAND ${MERCATO_NPM} run --silent ${ARG_NPM_SCRIPT} -- --outDir
            ${CMAKE_CURRENT_BINARY_DIR}/web --emptyOutDir
    DEPENDS ${ARG_SOURCES} ${MERCATO_WEB_INSTALLED}
    WORKING_DIRECTORY ${MERCATO_WEB_DIR}
    COMMENT "Vite: web/src -> ${ARG_SCRIPT}"
    VERBATIM)
  set(source ${CMAKE_CURRENT_BINARY_DIR}/${ARG_FUNCTION}_bundle.cpp)
  add_custom_command(
    OUTPUT ${source}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${script} -DOUTPUT=${source} -DNAMESPACE=${ARG_NAMESPACE}
            -DFUNCTION=${ARG_FUNCTION} -DHEADER=${ARG_HEADER}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${script} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    COMMENT "Embedding ${ARG_SCRIPT}"
    VERBATIM)
  set(${out_var} ${source} PARENT_SCOPE)
endfunction()
