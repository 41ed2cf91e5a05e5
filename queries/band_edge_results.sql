-- band_edge_results: official results printed exactly on a predikat band edge, with the band the printed value falls in
-- params: none
with edges as (
    select framework_id, lower as edge, predikat as band_above
    from predikat_bands
    where rank > 1
),

bands_below as (
    select framework_id, upper as edge, predikat as band_below
    from predikat_bands
)

select
    results.instansi_id,
    results.instansi_name,
    results.year,
    results.indeks,
    results.predikat,
    edges.band_above,
    bands_below.band_below,
    results.predikat = bands_below.band_below as predikat_is_lower_band,
    results.source_id,
    results.source_detail,
    results.note
from index_results as results
join edges
    on edges.framework_id = results.framework_id and round(results.indeks, 2) = edges.edge
join bands_below
    on bands_below.framework_id = results.framework_id and bands_below.edge = edges.edge
where results.assessment = 'official'
order by results.year, results.indeks, results.instansi_name
