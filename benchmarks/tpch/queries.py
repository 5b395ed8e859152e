"""The 22 TPC-H queries, written once against the dask.dataframe API.

Each ``qN(dd, path)`` takes ``dd``, a module with the dask.dataframe API (``dask.dataframe``,
``gpuscale.dataframe``, or :mod:`pandas_shim` for plain pandas), and ``path``, the folder holding one
sub-folder of parquet files per table (see :mod:`data`). It returns a frame: lazy (call :func:`materialize`)
or already computed, with the columns, names and order of the SQL answer in :mod:`sql`.

The style is plain dataframe code: filters, ``merge``, ``groupby().agg`` with named aggregations,
``drop_duplicates`` for EXISTS / IN / COUNT(DISTINCT), a left ``merge`` + ``isna`` for NOT EXISTS / NOT IN,
lazy scalars for scalar sub-queries (Q11, Q15, Q22), and ``sort_values(...).head(n)`` for ORDER BY ... LIMIT.
Scalar-only answers (Q6, Q14, Q17, Q19) compute their sums and build the one-row frame in pandas.
Tables are read whole; column pruning is left to the engine's optimizer.
"""

from __future__ import annotations

import os
from datetime import datetime

import pandas as pd


def materialize(result):
    """Compute a lazy result (anything with ``.compute()``); return computed results unchanged."""
    return result.compute() if hasattr(result, "compute") else result


def _read(dd, path, table):
    return dd.read_parquet(os.path.join(os.fspath(path), table))


def _one_row(**values) -> pd.DataFrame:
    return pd.DataFrame({name: [float(materialize(value))] for name, value in values.items()})


def _nations_in_region(dd, path, region_name):
    region = _read(dd, path, "region")
    region = region[region.r_name == region_name]
    return _read(dd, path, "nation").merge(region, left_on="n_regionkey", right_on="r_regionkey")


def _suppliers_of_nation(dd, path, nation_name):
    nation = _read(dd, path, "nation")
    nation = nation[nation.n_name == nation_name]
    return _read(dd, path, "supplier").merge(nation, left_on="s_nationkey", right_on="n_nationkey")


def _revenue(frame):
    return frame.l_extendedprice * (1 - frame.l_discount)


def q1(dd, path):
    """Pricing summary report."""
    li = _read(dd, path, "lineitem")
    li = li[li.l_shipdate <= datetime(1998, 9, 2)]
    li = li.assign(disc_price=_revenue(li))
    li = li.assign(charge=li.disc_price * (1 + li.l_tax))
    summary = li.groupby(["l_returnflag", "l_linestatus"]).agg(
        sum_qty=("l_quantity", "sum"),
        sum_base_price=("l_extendedprice", "sum"),
        sum_disc_price=("disc_price", "sum"),
        sum_charge=("charge", "sum"),
        avg_qty=("l_quantity", "mean"),
        avg_price=("l_extendedprice", "mean"),
        avg_disc=("l_discount", "mean"),
        count_order=("l_orderkey", "count"),
    )
    return summary.reset_index().sort_values(["l_returnflag", "l_linestatus"])


def q2(dd, path):
    """Minimum cost supplier."""
    part = _read(dd, path, "part")
    part = part[(part.p_size == 15) & part.p_type.str.endswith("BRASS")]
    suppliers = _read(dd, path, "supplier").merge(
        _nations_in_region(dd, path, "EUROPE"), left_on="s_nationkey", right_on="n_nationkey")
    offers = _read(dd, path, "partsupp").merge(suppliers, left_on="ps_suppkey", right_on="s_suppkey")
    offers = part.merge(offers, left_on="p_partkey", right_on="ps_partkey")
    cheapest = offers.groupby("p_partkey").agg(ps_supplycost=("ps_supplycost", "min")).reset_index()
    best = offers.merge(cheapest, on=["p_partkey", "ps_supplycost"])
    columns = ["s_acctbal", "s_name", "n_name", "p_partkey", "p_mfgr", "s_address", "s_phone", "s_comment"]
    return best[columns].sort_values(
        ["s_acctbal", "n_name", "s_name", "p_partkey"], ascending=[False, True, True, True]).head(100)


def q3(dd, path):
    """Shipping priority."""
    day = datetime(1995, 3, 15)
    customer = _read(dd, path, "customer")
    orders = _read(dd, path, "orders")
    lineitem = _read(dd, path, "lineitem")
    customer = customer[customer.c_mktsegment == "BUILDING"]
    orders = orders[orders.o_orderdate < day]
    lineitem = lineitem[lineitem.l_shipdate > day]
    joined = customer.merge(orders, left_on="c_custkey", right_on="o_custkey").merge(
        lineitem, left_on="o_orderkey", right_on="l_orderkey")
    joined = joined.assign(revenue=_revenue(joined))
    revenue = joined.groupby(["l_orderkey", "o_orderdate", "o_shippriority"]).agg(
        revenue=("revenue", "sum")).reset_index()
    revenue = revenue[["l_orderkey", "revenue", "o_orderdate", "o_shippriority"]]
    return revenue.sort_values(["revenue", "o_orderdate"], ascending=[False, True]).head(10)


def q4(dd, path):
    """Order priority checking."""
    orders = _read(dd, path, "orders")
    lineitem = _read(dd, path, "lineitem")
    orders = orders[(orders.o_orderdate >= datetime(1993, 7, 1)) & (orders.o_orderdate < datetime(1993, 10, 1))]
    late = lineitem[lineitem.l_commitdate < lineitem.l_receiptdate][["l_orderkey"]].drop_duplicates()
    orders = orders.merge(late, left_on="o_orderkey", right_on="l_orderkey")
    counts = orders.groupby("o_orderpriority").agg(order_count=("o_orderkey", "count")).reset_index()
    return counts.sort_values("o_orderpriority")


def q5(dd, path):
    """Local supplier volume."""
    customer = _read(dd, path, "customer").merge(
        _nations_in_region(dd, path, "ASIA"), left_on="c_nationkey", right_on="n_nationkey")
    orders = _read(dd, path, "orders")
    orders = orders[(orders.o_orderdate >= datetime(1994, 1, 1)) & (orders.o_orderdate < datetime(1995, 1, 1))]
    joined = customer.merge(orders, left_on="c_custkey", right_on="o_custkey").merge(
        _read(dd, path, "lineitem"), left_on="o_orderkey", right_on="l_orderkey")
    joined = joined.merge(_read(dd, path, "supplier"), left_on=["l_suppkey", "c_nationkey"],
                          right_on=["s_suppkey", "s_nationkey"])
    joined = joined.assign(revenue=_revenue(joined))
    revenue = joined.groupby("n_name").agg(revenue=("revenue", "sum")).reset_index()
    return revenue.sort_values("revenue", ascending=False)


def q6(dd, path):
    """Forecasting revenue change."""
    li = _read(dd, path, "lineitem")
    li = li[(li.l_shipdate >= datetime(1994, 1, 1)) & (li.l_shipdate < datetime(1995, 1, 1))
            & (li.l_discount >= 0.05) & (li.l_discount <= 0.07) & (li.l_quantity < 24)]
    return _one_row(revenue=(li.l_extendedprice * li.l_discount).sum())


def q7(dd, path):
    """Volume shipping."""
    nation = _read(dd, path, "nation")
    nation = nation[nation.n_name.isin(["FRANCE", "GERMANY"])]
    suppliers = _read(dd, path, "supplier").merge(nation, left_on="s_nationkey", right_on="n_nationkey")
    suppliers = suppliers[["s_suppkey", "n_name"]].rename(columns={"n_name": "supp_nation"})
    customers = _read(dd, path, "customer").merge(nation, left_on="c_nationkey", right_on="n_nationkey")
    customers = customers[["c_custkey", "n_name"]].rename(columns={"n_name": "cust_nation"})
    li = _read(dd, path, "lineitem")
    li = li[(li.l_shipdate >= datetime(1995, 1, 1)) & (li.l_shipdate <= datetime(1996, 12, 31))]
    joined = li.merge(suppliers, left_on="l_suppkey", right_on="s_suppkey").merge(
        _read(dd, path, "orders"), left_on="l_orderkey", right_on="o_orderkey").merge(
        customers, left_on="o_custkey", right_on="c_custkey")
    joined = joined[joined.supp_nation != joined.cust_nation]
    joined = joined.assign(l_year=joined.l_shipdate.dt.year, volume=_revenue(joined))
    revenue = joined.groupby(["supp_nation", "cust_nation", "l_year"]).agg(revenue=("volume", "sum"))
    return revenue.reset_index().sort_values(["supp_nation", "cust_nation", "l_year"])


def q8(dd, path):
    """National market share."""
    customers = _read(dd, path, "customer").merge(
        _nations_in_region(dd, path, "AMERICA"), left_on="c_nationkey", right_on="n_nationkey")[["c_custkey"]]
    orders = _read(dd, path, "orders")
    orders = orders[(orders.o_orderdate >= datetime(1995, 1, 1)) & (orders.o_orderdate <= datetime(1996, 12, 31))]
    orders = orders.merge(customers, left_on="o_custkey", right_on="c_custkey")
    part = _read(dd, path, "part")
    part = part[part.p_type == "ECONOMY ANODIZED STEEL"][["p_partkey"]]
    suppliers = _read(dd, path, "supplier").merge(
        _read(dd, path, "nation"), left_on="s_nationkey", right_on="n_nationkey")[["s_suppkey", "n_name"]]
    joined = _read(dd, path, "lineitem").merge(part, left_on="l_partkey", right_on="p_partkey").merge(
        orders, left_on="l_orderkey", right_on="o_orderkey").merge(
        suppliers, left_on="l_suppkey", right_on="s_suppkey")
    volume = _revenue(joined)
    joined = joined.assign(o_year=joined.o_orderdate.dt.year, volume=volume,
                           brazil_volume=volume.where(joined.n_name == "BRAZIL", 0.0))
    shares = joined.groupby("o_year").agg(brazil=("brazil_volume", "sum"), total=("volume", "sum"))
    shares = shares.assign(mkt_share=shares.brazil / shares.total).reset_index()
    return shares[["o_year", "mkt_share"]].sort_values("o_year")


def q9(dd, path):
    """Product type profit measure."""
    part = _read(dd, path, "part")
    part = part[part.p_name.str.contains("green", regex=False)][["p_partkey"]]
    joined = _read(dd, path, "lineitem").merge(part, left_on="l_partkey", right_on="p_partkey").merge(
        _read(dd, path, "partsupp"), left_on=["l_suppkey", "l_partkey"], right_on=["ps_suppkey", "ps_partkey"])
    joined = joined.merge(_read(dd, path, "supplier"), left_on="l_suppkey", right_on="s_suppkey").merge(
        _read(dd, path, "nation"), left_on="s_nationkey", right_on="n_nationkey").merge(
        _read(dd, path, "orders"), left_on="l_orderkey", right_on="o_orderkey")
    joined = joined.assign(nation=joined.n_name, o_year=joined.o_orderdate.dt.year,
                           amount=_revenue(joined) - joined.ps_supplycost * joined.l_quantity)
    profit = joined.groupby(["nation", "o_year"]).agg(sum_profit=("amount", "sum")).reset_index()
    return profit.sort_values(["nation", "o_year"], ascending=[True, False])


def q10(dd, path):
    """Returned item reporting."""
    orders = _read(dd, path, "orders")
    orders = orders[(orders.o_orderdate >= datetime(1993, 10, 1)) & (orders.o_orderdate < datetime(1994, 1, 1))]
    li = _read(dd, path, "lineitem")
    li = li[li.l_returnflag == "R"]
    joined = orders.merge(li, left_on="o_orderkey", right_on="l_orderkey")
    joined = joined.assign(revenue=_revenue(joined))
    revenue = joined.groupby("o_custkey").agg(revenue=("revenue", "sum")).reset_index()
    customers = _read(dd, path, "customer").merge(
        _read(dd, path, "nation"), left_on="c_nationkey", right_on="n_nationkey")
    report = customers.merge(revenue, left_on="c_custkey", right_on="o_custkey")
    columns = ["c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address", "c_phone", "c_comment"]
    return report[columns].sort_values("revenue", ascending=False).head(20)


def q11(dd, path):
    """Important stock identification."""
    suppliers = _suppliers_of_nation(dd, path, "GERMANY")[["s_suppkey"]]
    stock = _read(dd, path, "partsupp").merge(suppliers, left_on="ps_suppkey", right_on="s_suppkey")
    stock = stock.assign(value=stock.ps_supplycost * stock.ps_availqty)
    threshold = stock.value.sum() * 0.0001
    value = stock.groupby("ps_partkey").agg(value=("value", "sum")).reset_index()
    return value[value.value > threshold].sort_values("value", ascending=False)


def q12(dd, path):
    """Shipping modes and order priority."""
    li = _read(dd, path, "lineitem")
    li = li[li.l_shipmode.isin(["MAIL", "SHIP"]) & (li.l_commitdate < li.l_receiptdate)
            & (li.l_shipdate < li.l_commitdate) & (li.l_receiptdate >= datetime(1994, 1, 1))
            & (li.l_receiptdate < datetime(1995, 1, 1))]
    joined = _read(dd, path, "orders").merge(li, left_on="o_orderkey", right_on="l_orderkey")
    high = joined.o_orderpriority.isin(["1-URGENT", "2-HIGH"])
    joined = joined.assign(high_line_count=high.astype("int64"), low_line_count=(~high).astype("int64"))
    counts = joined.groupby("l_shipmode").agg(high_line_count=("high_line_count", "sum"),
                                              low_line_count=("low_line_count", "sum"))
    return counts.reset_index().sort_values("l_shipmode")


def q13(dd, path):
    """Customer distribution."""
    orders = _read(dd, path, "orders")
    orders = orders[~orders.o_comment.str.contains("special.*requests", regex=True)]
    joined = _read(dd, path, "customer").merge(orders, left_on="c_custkey", right_on="o_custkey", how="left")
    per_customer = joined.groupby("c_custkey").agg(c_count=("o_orderkey", "count")).reset_index()
    dist = per_customer.groupby("c_count").agg(custdist=("c_custkey", "count")).reset_index()
    return dist.sort_values(["custdist", "c_count"], ascending=[False, False])


def q14(dd, path):
    """Promotion effect."""
    li = _read(dd, path, "lineitem")
    li = li[(li.l_shipdate >= datetime(1995, 9, 1)) & (li.l_shipdate < datetime(1995, 10, 1))]
    joined = li.merge(_read(dd, path, "part"), left_on="l_partkey", right_on="p_partkey")
    volume = _revenue(joined)
    promo = volume.where(joined.p_type.str.startswith("PROMO"), 0.0)
    promo_sum, total_sum = materialize(promo.sum()), materialize(volume.sum())
    return _one_row(promo_revenue=100.0 * promo_sum / total_sum)


def q15(dd, path):
    """Top supplier."""
    li = _read(dd, path, "lineitem")
    li = li[(li.l_shipdate >= datetime(1996, 1, 1)) & (li.l_shipdate < datetime(1996, 4, 1))]
    li = li.assign(revenue=_revenue(li))
    revenue = li.groupby("l_suppkey").agg(total_revenue=("revenue", "sum")).reset_index()
    top = revenue[revenue.total_revenue == revenue.total_revenue.max()]
    top = _read(dd, path, "supplier").merge(top, left_on="s_suppkey", right_on="l_suppkey")
    return top[["s_suppkey", "s_name", "s_address", "s_phone", "total_revenue"]].sort_values("s_suppkey")


def q16(dd, path):
    """Parts/supplier relationship."""
    part = _read(dd, path, "part")
    part = part[(part.p_brand != "Brand#45") & ~part.p_type.str.startswith("MEDIUM POLISHED")
                & part.p_size.isin([49, 14, 23, 45, 19, 3, 36, 9])]
    supplier = _read(dd, path, "supplier")
    complaints = supplier[supplier.s_comment.str.contains("Customer.*Complaints", regex=True)][["s_suppkey"]]
    offers = _read(dd, path, "partsupp").merge(part, left_on="ps_partkey", right_on="p_partkey")
    offers = offers.merge(complaints, left_on="ps_suppkey", right_on="s_suppkey", how="left")
    offers = offers[offers.s_suppkey.isna()]
    keys = ["p_brand", "p_type", "p_size"]
    distinct = offers[keys + ["ps_suppkey"]].drop_duplicates()
    counts = distinct.groupby(keys).agg(supplier_cnt=("ps_suppkey", "count")).reset_index()
    return counts.sort_values(["supplier_cnt"] + keys, ascending=[False, True, True, True])


def q17(dd, path):
    """Small-quantity-order revenue."""
    part = _read(dd, path, "part")
    part = part[(part.p_brand == "Brand#23") & (part.p_container == "MED BOX")][["p_partkey"]]
    li = _read(dd, path, "lineitem").merge(part, left_on="l_partkey", right_on="p_partkey")
    average = li.groupby("l_partkey").agg(avg_quantity=("l_quantity", "mean")).reset_index()
    li = li.merge(average, on="l_partkey")
    small = li[li.l_quantity < 0.2 * li.avg_quantity]
    return _one_row(avg_yearly=materialize(small.l_extendedprice.sum()) / 7.0)


def q18(dd, path):
    """Large volume customer."""
    quantity = _read(dd, path, "lineitem").groupby("l_orderkey").agg(sum_qty=("l_quantity", "sum")).reset_index()
    large = quantity[quantity.sum_qty > 300]
    orders = _read(dd, path, "orders").merge(large, left_on="o_orderkey", right_on="l_orderkey")
    joined = _read(dd, path, "customer").merge(orders, left_on="c_custkey", right_on="o_custkey")
    columns = ["c_name", "c_custkey", "o_orderkey", "o_orderdate", "o_totalprice", "sum_qty"]
    return joined[columns].sort_values(["o_totalprice", "o_orderdate"], ascending=[False, True]).head(100)


def q19(dd, path):
    """Discounted revenue."""
    li = _read(dd, path, "lineitem")
    li = li[li.l_shipmode.isin(["AIR", "AIR REG"]) & (li.l_shipinstruct == "DELIVER IN PERSON")]
    j = li.merge(_read(dd, path, "part"), left_on="l_partkey", right_on="p_partkey")
    first = ((j.p_brand == "Brand#12") & j.p_container.isin(["SM CASE", "SM BOX", "SM PACK", "SM PKG"])
             & (j.l_quantity >= 1) & (j.l_quantity <= 11) & (j.p_size >= 1) & (j.p_size <= 5))
    second = ((j.p_brand == "Brand#23") & j.p_container.isin(["MED BAG", "MED BOX", "MED PKG", "MED PACK"])
              & (j.l_quantity >= 10) & (j.l_quantity <= 20) & (j.p_size >= 1) & (j.p_size <= 10))
    third = ((j.p_brand == "Brand#34") & j.p_container.isin(["LG CASE", "LG BOX", "LG PACK", "LG PKG"])
             & (j.l_quantity >= 20) & (j.l_quantity <= 30) & (j.p_size >= 1) & (j.p_size <= 15))
    j = j[first | second | third]
    return _one_row(revenue=_revenue(j).sum())


def q20(dd, path):
    """Potential part promotion."""
    part = _read(dd, path, "part")
    part = part[part.p_name.str.startswith("forest")][["p_partkey"]]
    li = _read(dd, path, "lineitem")
    li = li[(li.l_shipdate >= datetime(1994, 1, 1)) & (li.l_shipdate < datetime(1995, 1, 1))]
    shipped = li.groupby(["l_partkey", "l_suppkey"]).agg(sum_qty=("l_quantity", "sum")).reset_index()
    offers = _read(dd, path, "partsupp").merge(part, left_on="ps_partkey", right_on="p_partkey").merge(
        shipped, left_on=["ps_partkey", "ps_suppkey"], right_on=["l_partkey", "l_suppkey"])
    offers = offers[offers.ps_availqty > 0.5 * offers.sum_qty][["ps_suppkey"]].drop_duplicates()
    suppliers = _suppliers_of_nation(dd, path, "CANADA").merge(offers, left_on="s_suppkey", right_on="ps_suppkey")
    return suppliers[["s_name", "s_address"]].sort_values("s_name")


def q21(dd, path):
    """Suppliers who kept orders waiting."""
    li = _read(dd, path, "lineitem")[["l_orderkey", "l_suppkey", "l_receiptdate", "l_commitdate"]]
    late = li[li.l_receiptdate > li.l_commitdate][["l_orderkey", "l_suppkey"]]
    suppliers_per_order = li[["l_orderkey", "l_suppkey"]].drop_duplicates().groupby("l_orderkey").agg(
        n_supp=("l_suppkey", "count")).reset_index()
    late_per_order = late.drop_duplicates().groupby("l_orderkey").agg(n_late=("l_suppkey", "count")).reset_index()
    shared = suppliers_per_order[suppliers_per_order.n_supp > 1][["l_orderkey"]]
    only_late = late_per_order[late_per_order.n_late == 1][["l_orderkey"]]
    orders = _read(dd, path, "orders")
    orders = orders[orders.o_orderstatus == "F"][["o_orderkey"]]
    suppliers = _suppliers_of_nation(dd, path, "SAUDI ARABIA")[["s_suppkey", "s_name"]]
    waiting = late.merge(suppliers, left_on="l_suppkey", right_on="s_suppkey").merge(
        orders, left_on="l_orderkey", right_on="o_orderkey").merge(shared, on="l_orderkey").merge(
        only_late, on="l_orderkey")
    counts = waiting.groupby("s_name").agg(numwait=("l_orderkey", "count")).reset_index()
    return counts.sort_values(["numwait", "s_name"], ascending=[False, True]).head(100)


def q22(dd, path):
    """Global sales opportunity."""
    customer = _read(dd, path, "customer")
    customer = customer.assign(cntrycode=customer.c_phone.str.slice(0, 2))
    customer = customer[customer.cntrycode.isin(["13", "31", "23", "29", "30", "18", "17"])]
    average = customer[customer.c_acctbal > 0.0].c_acctbal.mean()
    customer = customer[customer.c_acctbal > average]
    buyers = _read(dd, path, "orders")[["o_custkey"]].drop_duplicates()
    customer = customer.merge(buyers, left_on="c_custkey", right_on="o_custkey", how="left")
    customer = customer[customer.o_custkey.isna()]
    sales = customer.groupby("cntrycode").agg(numcust=("c_acctbal", "count"), totacctbal=("c_acctbal", "sum"))
    return sales.reset_index().sort_values("cntrycode")


QUERIES = {n: globals()[f"q{n}"] for n in range(1, 23)}
