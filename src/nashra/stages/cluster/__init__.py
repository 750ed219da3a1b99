"""Building on a Dask cluster: the coordinator reads, decides and publishes; workers
voice and assemble episodes into storage that every machine sees.

- `storage`: the shared storage, named by a URL (fsspec's adapter);
- `dask_client`: connecting to a cluster or starting a local one (distributed's adapter);
- `tasks`: what runs on a worker, with plain inputs and outputs.

The coordinator's stage is `nashra.stages.distribute`. Dask is an optional extra:
`pip install 'nashra[cluster]'`.

May import: distributed and fsspec, the other stages and every layer below `stages`.
Never the server or the CLI.
"""
