"""Stage 2 on Splink's Spark backend (local mode): the same settings, blocking and scoring as DuckDB.

Cleaning, stage 1 and the best-link step stay in DuckDB; the stage-2 tables go to Spark as Arrow, the
scored pairs come back as Arrow. Splink registers its Scala similarity UDFs (jaro-winkler,
Damerau-Levenshtein) from the jar it ships for Spark 4 (``scala-udf-similarity-0.2.1_spark4.x.jar``).
"""

from __future__ import annotations

import functools
from typing import Any

from padu.linkage.engine.comparisons import translate


@functools.cache
def local_session(cores: int = 2) -> Any:
    """A local Spark session with Splink's UDF jar on the classpath (created once per process)."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("padu-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", str(max(2, cores * 2)))
        .config("spark.default.parallelism", str(max(2, cores * 2)))
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )


def predict_spark(con: Any, settings: dict[str, Any], spark: Any = None) -> tuple[str, int]:
    """Score the blocked pairs of DuckDB tables ``l2`` x ``r2`` on Spark; writes ``s2_pairs``."""
    from splink import Linker, SparkAPI

    spark = spark or local_session()
    left = con.execute("SELECT * FROM l2").to_arrow_table()
    right = con.execute("SELECT * FROM r2").to_arrow_table()
    api = SparkAPI(spark_session=spark, break_lineage_method="persist")
    linker = Linker(
        [
            api.register(spark.createDataFrame(left), dataset_display_name="left"),
            api.register(spark.createDataFrame(right), dataset_display_name="right"),
        ],
        translate(settings, "spark"),
        log_level=None,  # leave Splink's logging to the caller
    )
    from padu.linkage.engine.link import term_frequencies, tf_columns

    for column in tf_columns(settings):  # the whole registry's frequencies, as on DuckDB
        table = con.execute(f"SELECT * FROM {term_frequencies(con, column)}").to_arrow_table()
        linker.table_management.register_term_frequency_lookup(
            api.register(spark.createDataFrame(table)), column
        )
    pred = linker.inference.predict()
    frame = pred.as_spark_dataframe().select(
        "record_id_l", "record_id_r", "match_weight", "match_probability"
    )
    scored = frame.toArrow() if hasattr(frame, "toArrow") else frame.toPandas()
    con.register("s2_spark", scored)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE s2_pairs AS
        SELECT record_id_l AS left_id, record_id_r AS right_id, match_weight, match_probability
        FROM s2_spark
    """)
    con.unregister("s2_spark")
    return "s2_pairs", int(con.execute("SELECT count(*) FROM s2_pairs").fetchall()[0][0])
