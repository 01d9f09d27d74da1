from labourwatch.cli.main import run

run()
