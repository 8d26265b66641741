# cmake -DDIR=<folder> -P Precompress.cmake
#
# Writes a gzip -9 copy, <name>.gz, next to each compressible file under DIR (.js .css .html .svg
# .json), so that the server sends those bytes as they are to a client that accepts gzip instead
# of compressing on every request. A copy that would not be smaller is not kept: the server then
# sends the file itself. gzip -n leaves the name and time out of the copy, so a build is
# reproducible.

if(NOT DEFINED DIR OR NOT IS_DIRECTORY "${DIR}")
  message(FATAL_ERROR "usage: cmake -DDIR=<folder> -P Precompress.cmake")
endif()
find_program(GZIP gzip REQUIRED)

file(GLOB_RECURSE files LIST_DIRECTORIES false
     ${DIR}/*.js ${DIR}/*.css ${DIR}/*.html ${DIR}/*.svg ${DIR}/*.json)
foreach(file ${files})
  execute_process(COMMAND ${GZIP} -9 -n -c ${file} OUTPUT_FILE ${file}.gz RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "gzip ${file}: ${failed}")
  endif()
  file(SIZE ${file} plain)
  file(SIZE ${file}.gz packed)
  if(NOT packed LESS plain)
    file(REMOVE ${file}.gz)
  endif()
endforeach()
