# ocellus_embed(TARGET <lib> NAME <identifier> NAMESPACE <ns>
#               [FILES <file>...] [GLOB <pattern>...] [BASE_DIR <dir>] [PUBLIC])
# ocellus_embed(TARGET <lib> NAME <identifier> NAMESPACE <ns> DIR <folder> DEPENDS <file>... [PUBLIC])
#
# Compiles files into the static library TARGET and declares, in the generated header
# "embedded/<NAME>.h":
#
#   namespace <ns> { std::span<const ocellus::embedded::EmbeddedFile> <NAME>(); }
#
# one { name, data } per file, sorted by name in byte order so that lookups can binary-search
# (ocellus::embedded::find in "embedded/EmbeddedFile.h"). Data are generated as byte arrays, so
# any file is safe (no string-literal limits or escapes); each is followed by a NUL byte its size
# does not count, so text can be handed to C APIs. Every view points at static storage.
#
#   FILES     files to embed; relative paths are taken from the current source directory.
#   GLOB      recursive glob patterns, re-checked at build time (CONFIGURE_DEPENDS), so adding a
#             file needs no edit here.
#   BASE_DIR  a file's name is its path relative to this folder; without it, its file name
#             (two files with one name are an error).
#   PUBLIC    puts "embedded/<NAME>.h" on the include path of TARGET's dependents too; by
#             default only TARGET sees it. "embedded/EmbeddedFile.h" is always public.
#   DIR       instead of FILES/GLOB: every file under a folder that a build step writes (the
#             dashboard's Vite output, whose hashed names change with every edit), named by its
#             path relative to the folder. What the folder holds is read when the .cpp is
#             generated, not at configure time.
#   DEPENDS   with DIR: what regenerates the .cpp, typically the stamp file of the step that
#             writes the folder.
#
# The header is written at configure time; the .cpp is regenerated at build time whenever one
# of the files changes, by running this same file in script mode (cmake -P).

# Names become C++ string literals; keep them to characters that need no escaping.
function(ocellus_embed_check_name embed name)
  if(NOT name MATCHES "^[A-Za-z0-9 ._/+@~-]+$")
    message(FATAL_ERROR "ocellus_embed(${embed}): unsupported characters in file name '${name}'")
  endif()
endfunction()

if(NOT CMAKE_SCRIPT_MODE_FILE)

set(OCELLUS_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_FILE})

function(ocellus_embed)
  cmake_parse_arguments(E "PUBLIC" "TARGET;NAME;NAMESPACE;BASE_DIR;DIR" "FILES;GLOB;DEPENDS" ${ARGN})
  if(E_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "ocellus_embed: unknown arguments ${E_UNPARSED_ARGUMENTS}")
  endif()
  foreach(required TARGET NAME NAMESPACE)
    if(NOT E_${required})
      message(FATAL_ERROR "ocellus_embed: ${required} is required")
    endif()
  endforeach()
  if(NOT E_NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
    message(FATAL_ERROR "ocellus_embed: NAME '${E_NAME}' is not a C++ identifier")
  endif()
  if(NOT E_NAMESPACE MATCHES "^[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*$")
    message(FATAL_ERROR "ocellus_embed: NAMESPACE '${E_NAMESPACE}' is not a C++ namespace")
  endif()
  if(NOT TARGET ${E_TARGET})
    message(FATAL_ERROR "ocellus_embed: no target ${E_TARGET}")
  endif()
  get_target_property(type ${E_TARGET} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    message(FATAL_ERROR "ocellus_embed: ${E_TARGET} is an interface library and cannot hold sources")
  endif()

  if(E_DIR AND (E_FILES OR E_GLOB OR E_BASE_DIR))
    message(FATAL_ERROR "ocellus_embed(${E_NAME}): DIR takes no FILES, GLOB or BASE_DIR")
  endif()
  if((E_DIR AND NOT E_DEPENDS) OR (E_DEPENDS AND NOT E_DIR))
    message(FATAL_ERROR "ocellus_embed(${E_NAME}): DIR and DEPENDS go together")
  endif()

  set(files)
  foreach(file ${E_FILES})
    get_filename_component(file ${file} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    list(APPEND files ${file})
  endforeach()
  if(E_GLOB)
    file(GLOB_RECURSE globbed CONFIGURE_DEPENDS ${E_GLOB})
    list(APPEND files ${globbed})
  endif()
  list(REMOVE_DUPLICATES files)

  # name → path, then sort by name.
  set(names)
  foreach(file ${files})
    if(NOT EXISTS ${file} OR IS_DIRECTORY ${file})
      message(FATAL_ERROR "ocellus_embed(${E_NAME}): ${file} is not a file")
    endif()
    if(E_BASE_DIR)
      get_filename_component(base ${E_BASE_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
      file(RELATIVE_PATH name ${base} ${file})
      if(name MATCHES "^\\.\\./")
        message(FATAL_ERROR "ocellus_embed(${E_NAME}): ${file} is outside BASE_DIR ${base}")
      endif()
    else()
      get_filename_component(name ${file} NAME)
    endif()
    ocellus_embed_check_name(${E_NAME} "${name}")
    if(DEFINED path_of_${name})
      message(FATAL_ERROR "ocellus_embed(${E_NAME}): two files named '${name}' "
                          "(${path_of_${name}} and ${file}); set BASE_DIR")
    endif()
    set(path_of_${name} ${file})
    list(APPEND names ${name})
  endforeach()
  list(SORT names COMPARE STRING)
  set(paths)
  foreach(name ${names})
    list(APPEND paths ${path_of_${name}})
  endforeach()

  set(root ${PROJECT_BINARY_DIR}/embedded)
  set(common ${root}/common)
  set(own ${root}/${E_TARGET}.${E_NAME})
  set(header ${own}/embedded/${E_NAME}.h)
  set(source ${own}/${E_NAME}.cpp)
  set(manifest ${own}/${E_NAME}.manifest.cmake)

  # The one type every embedding shares. file(CONFIGURE) rewrites only on change, so nothing
  # rebuilds after a re-configure that changed nothing.
  file(CONFIGURE OUTPUT ${common}/embedded/EmbeddedFile.h @ONLY CONTENT [==[
// Generated by cmake/Embed.cmake; do not edit.
#pragma once

#include <algorithm>
#include <span>
#include <string_view>

namespace ocellus::embedded {

// A file compiled into the binary by ocellus_embed. Both views point at static storage and
// live as long as the program; data is followed by a NUL byte that data.size() does not count.
struct EmbeddedFile {
  std::string_view name;
  std::string_view data;
};

// The file called `name` in `files` (sorted by name, as ocellus_embed makes them), or nullptr.
inline const EmbeddedFile* find(std::span<const EmbeddedFile> files, std::string_view name) {
  auto it = std::lower_bound(files.begin(), files.end(), name,
                             [](const EmbeddedFile& f, std::string_view n) { return f.name < n; });
  return it != files.end() && it->name == name ? &*it : nullptr;
}

}  // namespace ocellus::embedded
]==])

  string(REPLACE ";" "\n//   " listing "${names}")
  set(depends ${paths})
  if(E_DIR)
    get_filename_component(E_DIR ${E_DIR} ABSOLUTE BASE_DIR ${CMAKE_CURRENT_SOURCE_DIR})
    set(listing "every file under ${E_DIR} when built")
    set(depends ${E_DEPENDS})
  endif()
  file(CONFIGURE OUTPUT ${header} @ONLY CONTENT [==[
// Generated by cmake/Embed.cmake (ocellus_embed NAME @E_NAME@); do not edit.
#pragma once

#include <span>

#include "embedded/EmbeddedFile.h"

namespace @E_NAMESPACE@ {

// The embedded files, sorted by name:
//   @listing@
std::span<const ::ocellus::embedded::EmbeddedFile> @E_NAME@();

}  // namespace @E_NAMESPACE@
]==])

  file(CONFIGURE OUTPUT ${manifest} @ONLY CONTENT [==[
set(EMBED_NAME "@E_NAME@")
set(EMBED_NAMESPACE "@E_NAMESPACE@")
set(EMBED_NAMES "@names@")
set(EMBED_PATHS "@paths@")
set(EMBED_DIR "@E_DIR@")
]==])

  add_custom_command(
    OUTPUT ${source}
    COMMAND ${CMAKE_COMMAND} -DOCELLUS_EMBED_MANIFEST=${manifest} -DOCELLUS_EMBED_OUTPUT=${source}
            -P ${OCELLUS_EMBED_SCRIPT}
    DEPENDS ${depends} ${manifest} ${OCELLUS_EMBED_SCRIPT}
    COMMENT "Embedding ${E_NAME} (${E_TARGET})"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${source})
  target_include_directories(${E_TARGET} PUBLIC ${common})
  if(E_PUBLIC)
    target_include_directories(${E_TARGET} PUBLIC ${own})
  else()
    target_include_directories(${E_TARGET} PRIVATE ${own})
  endif()
endfunction()

else()

# Script mode: write the .cpp described by OCELLUS_EMBED_MANIFEST to OCELLUS_EMBED_OUTPUT.
if(NOT DEFINED OCELLUS_EMBED_MANIFEST OR NOT DEFINED OCELLUS_EMBED_OUTPUT)
  message(FATAL_ERROR "usage: cmake -DOCELLUS_EMBED_MANIFEST=<file> -DOCELLUS_EMBED_OUTPUT=<file> -P Embed.cmake")
endif()
include(${OCELLUS_EMBED_MANIFEST})
if(EMBED_DIR)
  if(NOT IS_DIRECTORY ${EMBED_DIR})
    message(FATAL_ERROR "ocellus_embed(${EMBED_NAME}): no folder ${EMBED_DIR}")
  endif()
  file(GLOB_RECURSE EMBED_NAMES LIST_DIRECTORIES false RELATIVE ${EMBED_DIR} ${EMBED_DIR}/*)
  list(SORT EMBED_NAMES COMPARE STRING)
  set(EMBED_PATHS)
  foreach(name ${EMBED_NAMES})
    ocellus_embed_check_name(${EMBED_NAME} "${name}")
    list(APPEND EMBED_PATHS ${EMBED_DIR}/${name})
  endforeach()
endif()

set(arrays "")
set(entries "")
set(index 0)
foreach(name ${EMBED_NAMES})
  list(GET EMBED_PATHS ${index} path)
  file(READ ${path} hex HEX)
  file(SIZE ${path} size)
  # "2d2d0a…" → "0x2d,0x2d,0x0a,…", sixteen to a line.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REPEAT "0x..," 16 line)
  string(REGEX REPLACE "(${line})" "\\1\n" bytes "${bytes}")
  string(APPEND arrays "// ${name}\nconstexpr unsigned char kFile${index}[] = {\n${bytes}0x00};\n\n")
  string(APPEND entries "      {\"${name}\", {reinterpret_cast<const char*>(kFile${index}), ${size}}},\n")
  math(EXPR index "${index} + 1")
endforeach()

if(index EQUAL 0)
  set(body "  return {};\n")
else()
  set(body "  static const ::ocellus::embedded::EmbeddedFile kFiles[] = {\n${entries}  };\n  return kFiles;\n")
endif()

file(WRITE ${OCELLUS_EMBED_OUTPUT}
"// Generated by cmake/Embed.cmake from ${OCELLUS_EMBED_MANIFEST}; do not edit.
#include \"embedded/${EMBED_NAME}.h\"

namespace ${EMBED_NAMESPACE} {

namespace {

${arrays}}  // namespace

std::span<const ::ocellus::embedded::EmbeddedFile> ${EMBED_NAME}() {
${body}}

}  // namespace ${EMBED_NAMESPACE}
")

endif()
