"""``docs2client build``: every configured provider, docs → specs/<p>.yaml → generated/<p>/.

One provider's failure never loses another's output: each provider is extracted,
written and generated on its own, and the exit code is the worst of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.config import Config, ProviderConfig
from generator.document import Diagnostic
from generator.files import write_atomic
from generator.pipeline import extract
from generator.spec import Spec, dump_yaml

EXIT_OK, EXIT_DOC_ERRORS, EXIT_USAGE = 0, 1, 2


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK
    specs: dict[str, Spec] = field(default_factory=dict)


def spec_path(config: Config, provider: ProviderConfig) -> str:
    return (config.specs_dir / f"{provider.name}.yaml").relative_to(config.root).as_posix()


def build_all(config: Config, providers: list[str] | None = None, quiet: bool = False) -> BuildResult:
    result = BuildResult()
    chosen = [config.provider(name) for name in providers] if providers else config.providers
    for provider in chosen:
        extraction = extract(provider.name, provider.docs, root=config.root, title=provider.title, base_url=provider.base_url)
        result.diagnostics.extend(extraction.diagnostics)
        if extraction.unreadable:
            result.exit_code = max(result.exit_code, EXIT_USAGE)
        elif extraction.errors:
            result.exit_code = max(result.exit_code, EXIT_DOC_ERRORS)
        spec = extraction.spec
        result.specs[provider.name] = spec
        target = config.specs_dir / f"{provider.name}.yaml"
        changed = write_atomic(target, dump_yaml(spec))
        result.summary.append(
            f"{provider.name}: {len(spec.operations)} operation(s) → {spec_path(config, provider)}"
            + (" (updated)" if changed else " (unchanged)")
        )
        result.summary.extend(_generate(config, provider, spec))
    return result


def _generate(config: Config, provider: ProviderConfig, spec: Spec) -> list[str]:
    from generator.render import render_provider, write_tree

    files = render_provider(spec, spec_path(config, provider))
    changed = write_tree(config.generated_dir / provider.name, files)
    where = (config.generated_dir / provider.name).relative_to(config.root).as_posix()
    return [f"{provider.name}: {len(files)} file(s) → {where}/ ({len(changed)} changed)"]
