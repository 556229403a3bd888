"""The layering rule of README.md ("Architecture"), enforced: imports point down, definitions live at home.

`import_layers.py` beside this file holds the layer map and prints the edges (run it as a script).
"""

import import_layers as layers


def test_no_import_points_up_a_layer():
    bad = layers.upward_imports(layers.project_imports())
    assert not bad, "\n".join(f"{imp.where}: {imp.target} ({why})" for imp, why in bad)


def test_the_library_never_imports_dagster():
    library = [
        i
        for i in layers.project_imports()
        if i.target in layers.DAGSTER_MODULES and layers.layer_of(i.source) in layers.LIBRARY_LAYERS
    ]
    assert not library, [i.where for i in library]


def test_every_definition_lives_in_the_home_of_its_kind():
    misplaced = layers.misplaced_declarations()
    assert not misplaced, [f"{d.module}:{d.line} {d.kind}" for d in misplaced]


def test_each_kind_has_its_home_and_the_map_sees_them():
    kinds = {d.kind for d in layers.declarations()}
    assert {
        "asset",
        "asset check",
        "job",
        "schedule",
        "sensor",
        "resource",
        "asset key",
        "pool name",
    } <= kinds


def test_a_lazy_import_counts_like_any_other(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from assets.publish import published_warehouse\n")
    (imp,) = layers.imports_of("pipelines.lake", source)
    assert imp.lazy and imp.target == "assets.publish.published_warehouse"
    resolved = layers.Import("pipelines.lake", "assets.publish", imp.line, imp.lazy)
    assert layers.upward_imports([resolved])  # storage -> assets is upward, inside a function or not
